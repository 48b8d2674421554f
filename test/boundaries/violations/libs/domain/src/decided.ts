export const decided = 'a development';

export const builder = 'a test builder';

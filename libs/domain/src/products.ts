/**
 * Product codes (contract v1.1): HS-based, digits with optional dots. A code covers every code
 * that starts with its digits (`85` covers `8517.13.00`); the dots only make them readable.
 */

/** The digits of a product code, the form codes are compared in. */
export const productDigits = (code: string): string => code.replaceAll('.', '');

/** Whether `code` covers `product` (both as written, dots or not). */
export const productCovers = (code: string, product: string): boolean =>
  productDigits(product).startsWith(productDigits(code));

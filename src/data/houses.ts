// The lecture's worked example: house prices from land area and bedrooms.

export const HOUSES = {
  /** Land area (m²) and number of bedrooms, one row per house. */
  x: [
    [2104, 3],
    [1600, 3],
    [2400, 3],
    [1416, 2],
    [3000, 4],
  ],
  /** Price (k€). */
  y: [400, 330, 369, 232, 540],
  features: ['land area (m²)', 'bedrooms'],
  target: 'price (k€)',
} as const;

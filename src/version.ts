/** The package version, written into every saved accumulator state (a test keeps it equal to package.json's). */
export const VERSION = '0.1.0';

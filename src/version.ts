/** This package's version; a test keeps it equal to package.json's, which is not read at run time. */
export const VERSION = "0.2.0";

/**
 * Errors are data: every failure the SDK reports is a readonly plain object with a literal `code`.
 * Switch on `code` exhaustively; never use `instanceof` (two copies of the package may be loaded).
 */
// The files under src/errors/ hold the types, the union and the constructors; this file gathers them.
export * from './error-types.js';
export * from './error-union.js';
export * from './fix.js';
export * from './format.js';
export * from './make-errors.js';
export * from './make-change-errors.js';
export * from './make-room-errors.js';
export * from './make-clone-errors.js';

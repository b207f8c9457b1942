/**
 * Errors are data: every failure the SDK reports is a readonly plain object with a literal `code`.
 * Switch on `code` exhaustively; never use `instanceof` (two copies of the package may be loaded).
 */
// The files under src/errors/ hold the types, the union and the constructors; this file gathers them.
export * from './errors/error-types.js';
export * from './errors/error-union.js';
export * from './errors/format.js';
export * from './errors/make-errors.js';
export * from './errors/make-change-errors.js';
export * from './errors/make-room-errors.js';

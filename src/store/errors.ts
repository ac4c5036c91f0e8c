/**
 * Store errors carry a stable diagnostic code (src/core/codes.ts) so the API can map them to a
 * response without parsing messages: SW6014 for a bad argument (an attacker's garbage cursor, an
 * unknown status), SW6013 for a bad configuration, SW6012 for a store that cannot serve (closed).
 */
export type StoreErrorCode = 'SW6012' | 'SW6013' | 'SW6014';

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** A caller-supplied value the store refuses (SW6014). */
export const invalidArgument = (message: string): StoreError => new StoreError('SW6014', message);

/** The store was closed: every later call rejects with this (SW6012). */
export const closedStore = (kind: string): StoreError => new StoreError('SW6012', `${kind} store is closed`);

/** The store opener, re-exported for faces and tests that may not import src/store directly. */
export { openStore } from '../../store/index.js';

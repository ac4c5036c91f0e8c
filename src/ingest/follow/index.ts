/** File follow (`serve --follow`): tail files with rotation and truncation handled, positions kept. */
export { startFollow, type Follower, type FollowOptions } from './follower.js';
export type { FileStatus, FollowState } from './file.js';
export { decodePosition, encodePosition, type FilePosition, type PositionStore } from './registry.js';

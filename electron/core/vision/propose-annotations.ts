import type { ProposedBox } from './cam-box';

/**
 * A box covering more than this share of the frame is not offered: the photo is already a crop
 * (nyala-dev), and a box barely smaller than the frame only loses context.
 */
export const DEFAULT_MAX_AREA = 0.6;

/** Whether a proposal is worth offering on a `width` x `height` frame: clearly smaller than it, and standing out. */
export function proposalWanted(box: ProposedBox, width: number, height: number, maxArea = DEFAULT_MAX_AREA): boolean {
  return box.score > 0 && box.w * box.h < maxArea * width * height;
}

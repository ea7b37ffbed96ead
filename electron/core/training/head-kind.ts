/** The trained head's format lives with the other heads (vision/sliced-linear-head.ts); training writes it. */
export { decodeWeights, encodeWeights, headParams, HEAD_KIND, slicedLinear, type SlicedLinearHead } from '../vision/sliced-linear-head';

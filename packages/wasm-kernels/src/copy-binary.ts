// Generated from copy.wat by scripts/assemble-kernels.mjs; do not edit.
import type { KernelBinary } from './instance';

/** The kernel binaries (base64): for a shared memory and for a plain one. */
export const COPY_BINARY: KernelBinary = {
  shared: 'AGFzbQEAAAABCgFgBn9/f39/fwACEgEDZW52Bm1lbW9yeQIDAYCABAMCAQAHDQEJY29weUJsb2NrAAAKWwFZAQJ/IAVBAnQhByABIAVGIAMgBUZxBEAgAiAAIAcgBGz8CgAADwsCQANAIAYgBE8NASACIAYgA2xBAnRqIAAgBiABbEECdGogB/wKAAAgBkEBaiEGDAALCws=',
  plain: 'AGFzbQEAAAABCgFgBn9/f39/fwACDwEDZW52Bm1lbW9yeQIAAQMCAQAHDQEJY29weUJsb2NrAAAKWwFZAQJ/IAVBAnQhByABIAVGIAMgBUZxBEAgAiAAIAcgBGz8CgAADwsCQANAIAYgBE8NASACIAYgA2xBAnRqIAAgBiABbEECdGogB/wKAAAgBkEBaiEGDAALCws=',
};

/** See chromium.mjs. */
export declare const CHROMIUM_PATH: string;
/** See chromium.mjs. */
export declare const CHROMIUM_ARGS: readonly string[];

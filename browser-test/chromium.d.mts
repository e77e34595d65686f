/** See chromium.mjs. */
export declare const CHROMIUM_PATH: string;
/** See chromium.mjs. */
export declare const CHROMIUM_ARGS: readonly string[];
/** See chromium.mjs. */
export declare const CHROMIUM_LAUNCH_OPTIONS: Readonly<{
  executablePath: string;
  headless: boolean;
  args: string[];
}>;

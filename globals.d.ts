/** The package version, replaced at build time (tsup) and test time (vitest). */
declare const __VERSION__: string;

// Types of scripts/digit-set.mjs, for the TypeScript that imports it (the command line's --digits).
export declare const TRAIN: number;
export declare function digitSetFingerprint(mnistVersion: string): string;
export declare function isCurrentDigitSet(bytes: Uint8Array, fingerprint: string): boolean;
export declare function to20(src: ArrayLike<number>): Float64Array;
export declare function buildDigitSet(readDigits: (label: number) => { data: ArrayLike<number> }, fingerprint: string): Uint8Array;

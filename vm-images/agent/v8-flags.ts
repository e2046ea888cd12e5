/**
 * V8's collector tuning for the agent (applied by v8-tuning.ts): code and object layouts that only start-up used are
 * dropped after two full collections instead of five and sixteen (≈ 1 MB of an idle agent).
 */
export const AGENT_V8_TUNING = ['--bytecode-old-age=2', '--retain-maps-for-n-gc=2'] as const;

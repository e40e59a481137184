/** The WeCom adapter (loads its crypto); the registry's descriptor is platform.ts. */
export { createWecomAdapter, type WecomRuntime } from './wecom-adapter.js';
export { wecom } from './platform.js';

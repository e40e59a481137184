/** The WeCom platform as the registry sees it: name, configuration schema, delivery limits, factory. */
export { WECOM as name, wecomConfigSchema as configSchema, wecomConfigured as configured, wecomLimits as limits, wecomWindows as windows } from './config.js';
export { createWecomAdapter } from './wecom-adapter.js';

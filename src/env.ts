/** Reads `.env` (if present) under the real environment, then validates. Exits with readable lines on error. */
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, type Config } from './config.js';

export function configFromEnvironment(): Config {
  loadDotenv({ quiet: true });
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n请修改 .env 或环境变量后重试（.env.example 列出了所有变量）。\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** zod fields the platforms' configuration schemas share (zod only: loading a schema never loads an SDK). */
import { z } from 'zod';

export const port = (example: string) =>
  z.coerce
    .number({ error: `应为端口号，如 ${example}` })
    .int()
    .min(1)
    .max(65535);
export const perUnit = (example: string) =>
  z.coerce
    .number({ error: `应为正整数，如 ${example}` })
    .int('应为整数')
    .min(1, '至少为 1');

/**
 * The CJK font for charts and PDFs: Noto Sans SC (SIL Open Font License) from the npm package
 * @expo-google-fonts/noto-sans-sc — a plain TTF inside node_modules, so nothing is downloaded at install or run time
 * and the machine needs no system fonts.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const CJK_FONT_FAMILY = 'Noto Sans SC';

export function cjkFontPath(weight: 400 | 700 = 400): string {
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  return weight === 700 ? path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf') : path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf');
}

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(appDir, '../..');
export const screenshotDir = join(appDir, 'e2e/screenshots');

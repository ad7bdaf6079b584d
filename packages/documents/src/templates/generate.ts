import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOdt } from './odt-builder';
import { TEMPLATES } from './definitions';

/**
 * Writes the stock templates: `node packages/documents/dist/templates/generate.js [dir]` (templates/ by default).
 * It overwrites the files, so a sysadmin who edited a template in LibreOffice does not run it.
 */
export function generateTemplates(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return TEMPLATES.map((t) => {
    const file = path.join(dir, t.file);
    writeFileSync(file, buildOdt(t.body(), t.title));
    return file;
  });
}

if (require.main === module) {
  const dir = process.argv[2] ?? path.resolve(__dirname, '../../../../templates');
  for (const f of generateTemplates(dir)) process.stdout.write(`${f}\n`);
}

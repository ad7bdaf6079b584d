import { formatFid } from '../urfa/function-class';
import type { FunctionSchema, LayoutNode } from './layout';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attrs(pairs: [string, string | undefined][]): string {
  return pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v!)}"`)
    .join('');
}

function renderNodes(nodes: readonly LayoutNode[], indent: string): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    switch (n.tag) {
      case 'integer':
      case 'long':
      case 'double':
      case 'string':
      case 'ip_address':
        out.push(
          `${indent}<${n.tag}${attrs([
            ['name', n.name],
            ['array_index', n.arrayIndex],
            ['default', n.default],
          ])}/>`,
        );
        break;
      case 'binary':
        out.push(
          `${indent}<binary${attrs([
            ['name', n.name],
            ['array_index', n.arrayIndex],
          ])}/>`,
        );
        break;
      case 'if':
        out.push(
          `${indent}<if${attrs([
            ['variable', n.variable],
            ['value', n.value],
            ['condition', n.condition],
          ])}>`,
        );
        out.push(...renderNodes(n.body, `${indent}  `));
        out.push(`${indent}</if>`);
        break;
      case 'for':
        out.push(
          `${indent}<for${attrs([
            ['name', n.name],
            ['from', n.from],
            ['count', n.count],
          ])}>`,
        );
        out.push(...renderNodes(n.body, `${indent}  `));
        out.push(`${indent}</for>`);
        break;
      case 'error':
        out.push(
          `${indent}<error${attrs([
            ['code', n.code],
            ['comment', n.comment],
            ['variable', n.variable],
          ])}/>`,
        );
        break;
      case 'set':
        out.push(
          `${indent}<set${attrs([
            ['dst', n.dst],
            ['dst_index', n.dstIndex],
            ['src', n.src],
            ['src_index', n.srcIndex],
            ['value', n.value],
          ])}/>`,
        );
        break;
      case 'break':
        out.push(`${indent}<break/>`);
        break;
    }
  }
  return out;
}

/** api.xml in UTM5's scheme format, for utm5_urfaclient and other generic clients. */
export function renderApiXml(functions: readonly FunctionSchema[], header: string): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!--',
    ...header.split('\n').map((l) => `  ${l}`.trimEnd()),
    '-->',
    '<urfa>',
  ];
  for (const f of [...functions].sort((a, b) => a.id - b.id)) {
    out.push('');
    out.push(
      `  <function${attrs([
        ['name', f.name],
        ['id', formatFid(f.id)],
        ['comment', f.comment],
      ])}>`,
    );
    for (const [tag, list] of [
      ['input', f.input],
      ['output', f.output],
    ] as const) {
      if (list.length === 0) out.push(`    <${tag}/>`);
      else out.push(`    <${tag}>`, ...renderNodes(list, '      '), `    </${tag}>`);
    }
    out.push('  </function>');
  }
  out.push('</urfa>', '');
  return out.join('\n');
}

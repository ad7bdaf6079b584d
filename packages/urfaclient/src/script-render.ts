import type { FunctionSchema, LayoutNode } from '@utm5/protocol';

export const GENERATED_SCRIPT_MARKER = 'Generated from the function registry';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'integer',
  long: 'integer (64-bit)',
  double: 'number',
  string: 'text',
  ip_address: 'IP address',
  binary: 'binary (base64)',
};

interface ParamInfo {
  name: string;
  type: string;
  repeated: boolean;
  default: string | undefined;
}

/** The inputs a caller gives: scalars in order, once each; loop counts defaulted to size() are computed, not asked. */
function inputs(nodes: readonly LayoutNode[], inLoop: boolean, out: Map<string, ParamInfo>): void {
  for (const n of nodes) {
    if (n.tag === 'for') inputs(n.body, true, out);
    else if (n.tag === 'if') inputs(n.body, inLoop, out);
    else if (
      n.tag === 'integer' ||
      n.tag === 'long' ||
      n.tag === 'double' ||
      n.tag === 'string' ||
      n.tag === 'ip_address' ||
      n.tag === 'binary'
    ) {
      const def = 'default' in n ? n.default : undefined;
      if (def !== undefined && /^size\(/.test(def)) continue;
      if (!out.has(n.name)) out.set(n.name, { name: n.name, type: n.tag, repeated: inLoop, default: def });
    }
  }
}

/**
 * An action script that calls one function with its inputs as script parameters, so `utm5_urfaclient -a NAME
 * -help` documents them. `docs` adds a description per parameter.
 */
export function renderActionScript(f: FunctionSchema, docs: Readonly<Record<string, string>> = {}): string {
  const params = new Map<string, ParamInfo>();
  inputs(f.input, false, params);
  const id = f.id < 0 ? `-0x${(-f.id).toString(16).padStart(4, '0')}` : `0x${f.id.toString(16).padStart(4, '0')}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${GENERATED_SCRIPT_MARKER} (npm run gen): calls ${f.name} (${id}).`,
  ];
  if (f.comment) lines.push(`     ${esc(f.comment)}`);
  lines.push('-->', '<urfa>');
  for (const p of params.values()) {
    const words =
      [docs[p.name], TYPE_WORDS[p.type]].filter(Boolean).join(', ') + (p.repeated ? '; repeat for each element' : '');
    const def = p.default !== undefined ? ` default="${esc(p.default)}"` : '';
    lines.push(`  <parameter name="${esc(p.name)}"${def} comment="${esc(words)}"/>`);
  }
  lines.push(`  <call function="${esc(f.name)}"/>`, '</urfa>', '');
  return lines.join('\n');
}

/** The action name a function's script has: the function name without its rpcf_ / utm5ts_ prefix. */
export function actionName(functionName: string): string {
  return functionName.replace(/^rpcf_/, '').replace(/^utm5ts_/, '');
}

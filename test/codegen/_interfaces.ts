// The members of an interface in generated TypeScript text: name → type, optional or not.
export function interfaceMembers(text: string, iface: string): Map<string, string> {
  const m = new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`).exec(text);
  if (!m) throw new Error(`no interface ${iface} in the generated text`);
  return new Map([...m[1]!.matchAll(/^ {2}(\w+)\??: (.+);$/gm)].map((x) => [x[1]!, x[2]!]));
}

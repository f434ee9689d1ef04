import { parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { ID_RULE, isValidId } from '../ids.ts';
import { applyManifestSecrets } from './manifest-secrets.ts';

/** wadm-compatible OAM manifest (`core.oam.dev/v1beta1`, kind `Application`), the parts weft reconciles. */
export interface Manifest {
  apiVersion: string;
  kind: 'Application';
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: { components: ManifestComponent[] };
}

export interface ManifestComponent {
  name: string;
  type: 'component' | 'capability';
  properties: { image: string; id?: string; config?: { name: string; properties?: Record<string, string> }[] };
  traits?: Trait[];
}

export interface Spread {
  name: string;
  requirements: Record<string, string>;
  weight?: number;
}

export type Trait =
  | { type: 'spreadscaler' | 'daemonscaler'; properties: { instances: number; spread?: Spread[] } }
  | {
      type: 'link';
      properties: {
        namespace: string;
        package: string;
        interfaces: string[];
        target: { name: string; config?: { name: string; properties?: Record<string, string> }[] };
        source?: { config?: { name: string; properties?: Record<string, string> }[] };
        name?: string;
      };
    };

/** One problem found by {@link parseManifest}: where (YAML path and line) and what. */
export interface ManifestProblem {
  path: string;
  line?: number;
  message: string;
}

/** Component id default, as wadm derives it: `{app}-{component}` lowercased, non-alphanumerics → `_`. */
export function componentIdOf(app: string, c: ManifestComponent): string {
  return c.properties.id ?? `${app}-${c.name}`.toLowerCase().replace(/[^a-z0-9]/g, '_');
}

function lineOf(doc: Document, path: (string | number)[], text: string): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const at = node?.range?.[0];
  return at === undefined ? undefined : text.slice(0, at).split('\n').length;
}

/**
 * Parses and validates a manifest (YAML or JSON), reporting every problem with its path in the document.
 * @returns the manifest when there is no problem.
 */
export function parseManifest(text: string): { manifest?: Manifest; problems: ManifestProblem[] } {
  const doc = parseDocument(text);
  const problems: ManifestProblem[] = [];
  for (const e of doc.errors)
    problems.push({ path: '', line: e.linePos?.[0]?.line, message: `YAML: ${e.message.split('\n')[0]}` });
  if (problems.length) return { problems };
  const m = doc.toJS() as Record<string, unknown> | null;
  const add = (path: (string | number)[], message: string): void => {
    problems.push({
      path: path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .replace(/^\./, ''),
      line: lineOf(doc, path, text),
      message,
    });
  };
  if (!m || typeof m !== 'object')
    return { problems: [{ path: '', message: 'the manifest must be a YAML or JSON object' }] };
  if (m['apiVersion'] !== 'core.oam.dev/v1beta1') add(['apiVersion'], 'must be core.oam.dev/v1beta1');
  if (m['kind'] !== 'Application') add(['kind'], 'must be Application');
  const meta = m['metadata'] as Record<string, unknown> | undefined;
  const app = meta?.['name'];
  if (!isValidId(app) || !/^[a-z0-9]/i.test(app))
    add(['metadata', 'name'], `must be a name of ${ID_RULE}, starting with a letter or digit`);
  const comps = (m['spec'] as Record<string, unknown> | undefined)?.['components'];
  if (!Array.isArray(comps) || comps.length === 0) add(['spec', 'components'], 'must list at least one component');
  const names = new Set<string>();
  (Array.isArray(comps) ? comps : []).forEach((c: Record<string, unknown>, i: number) => {
    const p = ['spec', 'components', i];
    if (typeof c?.['name'] !== 'string') add([...p, 'name'], 'must be a string');
    else if (names.has(c['name'])) add([...p, 'name'], `duplicate component name "${c['name']}"`);
    else names.add(c['name']);
    const type = c?.['type'] === 'actor' ? 'component' : c?.['type'];
    if (type !== 'component' && type !== 'capability') add([...p, 'type'], 'must be component or capability');
    const props = c?.['properties'] as Record<string, unknown> | undefined;
    if (typeof props?.['image'] !== 'string' || !props['image'])
      add([...p, 'properties', 'image'], 'must be an image reference (nats://, file:// or weft+builtin://)');
    validateIdOf(props?.['id'], typeof app === 'string' ? app : '', c?.['name'], [...p, 'properties', 'id'], add);
    validateConfigs(props?.['config'], [...p, 'properties', 'config'], add);
    const traits = c?.['traits'];
    if (traits !== undefined && !Array.isArray(traits)) add([...p, 'traits'], 'must be a list');
    (Array.isArray(traits) ? traits : []).forEach((t: Record<string, unknown>, j: number) =>
      validateTrait(t, [...p, 'traits', j], add),
    );
  });
  applyManifestSecrets(m, add); // secrets: → SECRET_ reference configs (checked against spec.policies)
  if (problems.length) return { problems };
  // normalize aliases (actor → component, replicas → instances)
  const manifest = m as unknown as Manifest;
  for (const c of manifest.spec.components) {
    if ((c.type as string) === 'actor') c.type = 'component';
    for (const t of c.traits ?? []) {
      const pr = t.properties as Record<string, unknown>;
      if (t.type !== 'link' && pr['instances'] === undefined) pr['instances'] = pr['replicas'];
    }
  }
  return { manifest, problems };
}

function validateTrait(
  t: Record<string, unknown>,
  p: (string | number)[],
  add: (path: (string | number)[], msg: string) => void,
): void {
  const props = t?.['properties'] as Record<string, unknown> | undefined;
  if (t?.['type'] === 'spreadscaler' || t?.['type'] === 'daemonscaler') {
    const n = props?.['instances'] ?? props?.['replicas'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      add([...p, 'properties', 'instances'], 'must be a non-negative integer');
    const spread = props?.['spread'];
    if (spread !== undefined && !Array.isArray(spread)) add([...p, 'properties', 'spread'], 'must be a list');
    (Array.isArray(spread) ? spread : []).forEach((s: Record<string, unknown>, k: number) => {
      if (typeof s?.['name'] !== 'string') add([...p, 'properties', 'spread', k, 'name'], 'must be a string');
      if (s?.['weight'] !== undefined && (typeof s['weight'] !== 'number' || s['weight'] < 0))
        add([...p, 'properties', 'spread', k, 'weight'], 'must be a non-negative number');
      if (
        s?.['requirements'] !== undefined &&
        (typeof s['requirements'] !== 'object' || Array.isArray(s['requirements']))
      )
        add([...p, 'properties', 'spread', k, 'requirements'], 'must be a map of label: value');
    });
  } else if (t?.['type'] === 'link') {
    for (const k of ['namespace', 'package'] as const)
      if (typeof props?.[k] !== 'string') add([...p, 'properties', k], 'must be a string');
    if (!Array.isArray(props?.['interfaces']) || (props['interfaces'] as unknown[]).length === 0)
      add([...p, 'properties', 'interfaces'], 'must list at least one interface');
    const target = props?.['target'];
    if (
      typeof target !== 'object' ||
      target === null ||
      typeof (target as Record<string, unknown>)['name'] !== 'string'
    )
      add([...p, 'properties', 'target', 'name'], 'must name the target component');
    else validateConfigs((target as Record<string, unknown>)['config'], [...p, 'properties', 'target', 'config'], add);
    validateConfigs(
      (props?.['source'] as Record<string, unknown> | undefined)?.['config'],
      [...p, 'properties', 'source', 'config'],
      add,
    );
    if (props?.['name'] !== undefined && !isValidId(props['name']))
      add([...p, 'properties', 'name'], `must be a link name of ${ID_RULE}`);
  } else {
    add([...p, 'type'], `unknown trait "${String(t?.['type'])}": use spreadscaler, daemonscaler or link`);
  }
}

/** An explicit component id must be an id (lattice/ids.ts); a derived one (`{app}-{name}`, normalised) must fit too. */
function validateIdOf(
  id: unknown,
  app: string,
  name: unknown,
  p: (string | number)[],
  add: (path: (string | number)[], msg: string) => void,
): void {
  if (id !== undefined) {
    if (!isValidId(id)) add(p, `must be a component id of ${ID_RULE}`);
  } else if (
    app &&
    typeof name === 'string' &&
    !isValidId(componentIdOf(app, { name, type: 'component', properties: { image: '' } }))
  ) {
    add(
      p.slice(0, -2).concat('name'),
      `the derived component id "{app}-{name}" must be at most 128 characters; shorten the name or set properties.id`,
    );
  }
}

/** A config list: `[{ name, properties? }]`, each name an id (it becomes a subject token and a KV key). */
function validateConfigs(
  v: unknown,
  p: (string | number)[],
  add: (path: (string | number)[], msg: string) => void,
): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) return add(p, 'must be a list of { name, properties }');
  v.forEach((c: Record<string, unknown>, i: number) => {
    if (!isValidId(c?.['name'])) add([...p, i, 'name'], `must be a config name of ${ID_RULE}`);
  });
}

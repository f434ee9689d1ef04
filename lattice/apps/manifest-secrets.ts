/**
 * `secrets:` in wadm manifests (wasmCloud 1.x): `[{name, properties: {policy, key, field?, version?}}]` on a
 * component's properties and on a link trait's `target` and `source`, each `policy` naming a `spec.policies[]` entry
 * of type `policy.secret.wasmcloud.dev/v1alpha1` whose `properties.backend` is the backend. Each secret becomes a
 * `SECRET_{app}_{entity}_{name}` named config holding the reference (never a value), added to the entity's configs,
 * so the planner puts it like any config and the host resolves it when the component starts or the link is put.
 */
import { ID_RULE, isValidId } from '../ids.ts';
import { encodeSecretReference } from '../secrets/decode-secrets.ts';
import { SECRET_MANIFEST_POLICY_TYPE, SECRET_POLICY_PROPERTIES_TYPE } from '../secrets/types.ts';

type Obj = Record<string, unknown>;
type Add = (path: (string | number)[], message: string) => void;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A config name from parts: letters, digits, `_`, `-` (others become `_`), at most 128 characters. */
const configName = (...parts: string[]): string =>
  `SECRET_${parts.join('_')}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128);

/**
 * Validates every `secrets` list of manifest `m` (raw, as parsed) and appends the reference configs.
 * Idempotent: a stored manifest parsed again gets no second copy.
 */
export function applyManifestSecrets(m: Obj, add: Add): void {
  const app = String((m['metadata'] as Obj | undefined)?.['name'] ?? '');
  const spec = (m['spec'] as Obj | undefined) ?? {};
  const policies = new Map<string, Obj>();
  const listed = spec['policies'];
  if (listed !== undefined && !Array.isArray(listed))
    add(['spec', 'policies'], 'must be a list of { name, type, properties }');
  (Array.isArray(listed) ? listed : []).forEach((p: unknown) => {
    if (isObj(p) && typeof p['name'] === 'string') policies.set(p['name'], p);
  });
  const apply = (holder: Obj | undefined, path: (string | number)[], entity: string): void => {
    const secrets = holder?.['secrets'];
    if (secrets === undefined || !holder) return;
    if (!Array.isArray(secrets))
      return add([...path, 'secrets'], 'must be a list of { name, properties: { policy, key } }');
    const config = Array.isArray(holder['config']) ? (holder['config'] as Obj[]) : [];
    secrets.forEach((s: unknown, i: number) => {
      const p = [...path, 'secrets', i];
      const props = isObj(s) ? s['properties'] : undefined;
      if (!isObj(s) || !isValidId(s['name'])) return add([...p, 'name'], `must be a secret name of ${ID_RULE}`);
      if (!isObj(props)) return add([...p, 'properties'], 'must hold policy and key');
      const policyName = props['policy'];
      const policy = typeof policyName === 'string' ? policies.get(policyName) : undefined;
      if (!policy)
        return add(
          [...p, 'properties', 'policy'],
          `must name a policy of spec.policies (type ${SECRET_MANIFEST_POLICY_TYPE})`,
        );
      const pp = isObj(policy['properties']) ? policy['properties'] : {};
      if (policy['type'] !== SECRET_MANIFEST_POLICY_TYPE || typeof pp['backend'] !== 'string' || !pp['backend'])
        return add(
          [...p, 'properties', 'policy'],
          `policy "${policyName}" must be of type ${SECRET_MANIFEST_POLICY_TYPE} with properties.backend`,
        );
      if (typeof props['key'] !== 'string' || !props['key'])
        return add([...p, 'properties', 'key'], 'must be the secret key in the backend');
      for (const k of ['field', 'version'] as const)
        if (props[k] !== undefined && typeof props[k] !== 'string')
          return add([...p, 'properties', k], 'must be a string');
      const { backend, ...rest } = pp;
      const name = configName(app, entity, s['name']);
      if (config.some((c) => c?.['name'] === name)) return;
      const values = encodeSecretReference({
        name: s['name'],
        backend: backend as string,
        key: props['key'],
        field: props['field'] as string | undefined,
        version: props['version'] as string | undefined,
        policy: JSON.stringify({ type: SECRET_POLICY_PROPERTIES_TYPE, properties: rest }),
      });
      config.push({ name, properties: values });
    });
    holder['config'] = config;
  };
  (Array.isArray(spec['components']) ? spec['components'] : []).forEach((c: unknown, i: number) => {
    if (!isObj(c)) return;
    const p = ['spec', 'components', i];
    apply(c['properties'] as Obj | undefined, [...p, 'properties'], String(c['name']));
    (Array.isArray(c['traits']) ? c['traits'] : []).forEach((t: unknown, j: number) => {
      if (!isObj(t) || t['type'] !== 'link' || !isObj(t['properties'])) return;
      const lp = t['properties'];
      const link = `${String(c['name'])}_${String(lp['name'] ?? 'default')}`;
      apply(lp['target'] as Obj | undefined, [...p, 'traits', j, 'properties', 'target'], `${link}_target`);
      apply(lp['source'] as Obj | undefined, [...p, 'traits', j, 'properties', 'source'], `${link}_source`);
    });
  });
}

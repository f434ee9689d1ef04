import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.ts';

const manifest = (policyType = 'policy.secret.wasmcloud.dev/v1alpha1', policy = 'vault') => `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  policies:
    - name: vault
      type: ${policyType}
      properties: { backend: weft, team: a }
  components:
    - name: api
      type: component
      properties:
        image: file:///x.wasm
        secrets:
          - name: db
            properties: { policy: ${policy}, key: db-pass, version: "2" }
      traits:
        - type: link
          properties:
            namespace: wasi
            package: keyvalue
            interfaces: [store]
            target:
              name: redis
              secrets:
                - name: password
                  properties: { policy: vault, key: redis-pw }
    - name: redis
      type: capability
      properties: { image: weft+builtin://keyvalue-redis }
`;

describe('manifest secrets', () => {
  it('turn into SECRET_ reference configs on the component and the link target, parsed twice alike', () => {
    const { manifest: m, problems } = parseManifest(manifest());
    expect(problems).toEqual([]);
    const api = m!.spec.components[0]!;
    expect(api.properties.config).toEqual([
      {
        name: 'SECRET_shop_api_db',
        properties: {
          name: 'db',
          type: 'secret.wasmcloud.dev/v1alpha1',
          backend: 'weft',
          key: 'db-pass',
          version: '2',
          policy: '{"type":"properties.secret.wasmcloud.dev/v1alpha1","properties":{"team":"a"}}',
        },
      },
    ]);
    const link = api.traits![0]!.properties as { target: { config?: { name: string }[] } };
    expect(link.target.config?.map((c) => c.name)).toEqual(['SECRET_shop_api_default_target_password']);
    const again = parseManifest(JSON.stringify(m));
    expect(again.manifest!.spec.components[0]!.properties.config).toHaveLength(1);
  });
  it('refuse a secret whose policy is missing or not a secrets policy (weft app validate)', () => {
    expect(parseManifest(manifest(undefined, 'nope')).problems[0]).toMatchObject({
      path: 'spec.components[0].properties.secrets[0].properties.policy',
    });
    expect(parseManifest(manifest('policy.other/v1')).problems[0]?.message).toMatch(/must be of type/);
  });
});

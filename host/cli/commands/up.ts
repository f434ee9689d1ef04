import { spawn } from 'node:child_process';
import { openSync, renameSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { RunningNatsServer } from '../../../lattice/index.ts';
import type { Host } from '../../index.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { clearUpState, isAlive, localNatsUser, readUpState, refuseSecondUp, weftHome, writeUpState } from '../home.ts';
import { natsOptionsOf, withOutput } from '../options.ts';
import { dim, emit, green, println, yellow } from '../output.ts';
import { runCommand } from '../run-command.ts';
import { addUpOptions, registryOptionsFrom } from './up-options.ts';
import type { UpOptions } from './up-options.ts';

/** Connection options of one side (`ctl` or `rpc`), falling back to the `--nats-*` ones. */
function sideOptions(o: UpOptions, url: string, side: 'ctl' | 'rpc') {
  const pick = <K extends string>(k: K) => o[`${side}${k}` as keyof UpOptions] as string | undefined;
  const own = pick('Creds') || pick('Jwt') || pick('Seed');
  return natsOptionsOf({
    ...o,
    natsUrl: pick('Url') ?? url,
    natsCreds: own ? pick('Creds') : o.natsCreds,
    natsJwt: own ? pick('Jwt') : o.natsJwt,
    natsSeed: own ? pick('Seed') : o.natsSeed,
    tlsCa: pick('TlsCa') ?? o.tlsCa,
  });
}

/** Labels from `-l k=v` flags and `WEFT_LABEL_{k}=v` env vars. */
export function labelsFrom(flags: string[], env = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (k.startsWith('WEFT_LABEL_') && v !== undefined) out[k.slice(11).toLowerCase()] = v;
  for (const f of flags) {
    const i = f.indexOf('=');
    if (i <= 0) throw new CliError(CliErrorCode.Usage, `label "${f}" is not k=v`, 'e.g. weft up -l zone=eu');
    out[f.slice(0, i)] = f.slice(i + 1);
  }
  return out;
}

/** `weft up`: a local nats-server with JetStream (unless `--nats-url`) and a host, like `wash up`. */
export function registerUpCommand(program: Command): void {
  addUpOptions(
    withOutput(program.command('up')).description(
      'start a host on a local lattice (and a nats-server with JetStream unless --nats-url is given)',
    ),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  weft up                          # nats-server on 4222 + a host, in the foreground\n  weft up -d -l zone=eu            # in the background; `weft down` stops it\n  weft up --nats-url nats://10.0.0.5:4222 --lattice prod',
    )
    .action(runCommand((o: UpOptions) => (o.detached ? upDetached(o) : upForeground(o))));
}

async function upForeground(o: UpOptions): Promise<void> {
  (await import('../backstop.ts')).installBackstop(); // no lattice input and no forgotten promise may end the host
  await refuseSecondUp(o.multiLocal);
  // the host, the runtime (jco), the providers and the controller load only here: not for any other command
  const [{ providerNatsUsers, startNatsServer }, { Controller }, { startHost }] = await Promise.all([
    import('../../../lattice/index.ts'),
    import('../../controller/index.ts'),
    import('../start-host.ts'),
  ]);
  const labels = labelsFrom(o.label);
  if (o.allowUnsigned) {
    process.stderr.write(
      `${yellow('warning:')} --allow-unsigned: this host runs components nobody signed; use it for local development only\n`,
    );
  }
  if (o.allowUnsigned && o.allowedIssuers)
    process.stderr.write(
      `${yellow('warning:')} --allowed-issuers with --allow-unsigned: unsigned components still run, whoever made them\n`,
    );
  if (!o.allowedIssuers)
    process.stderr.write(
      `${yellow('warning:')} no --allowed-issuers: components signed by any issuer run here (a key anyone can make); name your account keys\n`,
    );
  let nats: RunningNatsServer | undefined;
  if (!o.providerNatsSeed !== !o.messagingNatsSeed)
    throw new CliError(
      CliErrorCode.Usage,
      '--provider-nats-seed and --messaging-nats-seed go together',
      'give both (see "NATS identities" in capabilities/README.md), or neither',
    );
  let providerUsers =
    o.providerNatsSeed && o.messagingNatsSeed
      ? { provider: o.providerNatsSeed, messaging: o.messagingNatsSeed }
      : undefined;
  let url = o.natsUrl;
  if (!url) {
    url = `nats://127.0.0.1:${o.natsPort}`;
    if (await isNatsUp(url)) {
      println(dim(`using the nats-server already listening on ${url}`));
    } else {
      const user = o.natsAuth ? await localNatsUser() : undefined;
      const users = user ? await providerNatsUsers(join(weftHome(), 'nats'), o.lattice, o.jsDomain) : undefined;
      // the users of this server, unless the providers' connection goes elsewhere (--ctl-url/--rpc-url)
      if (users && !o.ctlUrl && !o.rpcUrl) providerUsers = users.seeds;
      nats = await startNatsServer({
        authorizedNkeys: user ? [user.publicKey] : undefined,
        nkeyUsers: users?.config,
        port: o.natsPort,
        storeDir: join(weftHome(), 'nats', 'jetstream'),
        logFile: join(weftHome(), 'nats-server.log'),
        jsDomain: o.jsDomain,
        leafRemoteUrl: o.natsRemoteUrl,
        // its own process group: a terminal's Ctrl+C reaches weft up alone, which stops the host first (it still
        // publishes host_stopped and drains) and then this server; sharing the group, the server died first and the
        // host spent ~5 s reconnecting before it could stop
        detached: true,
      });
      println(
        `${green('✔')} nats-server with JetStream listening on ${nats.url}${user ? ' (nkey auth; weft commands use the key in ' + weftHome() + '/nats)' : ''}`,
      );
    }
  }
  let host: Host;
  try {
    host = await startHost({
      lattice: o.lattice,
      hostSeed: o.hostSeed,
      labels,
      heartbeatIntervalSec: o.heartbeatInterval,
      metricsIntervalSec: o.metricsInterval,
      jsDomain: o.jsDomain,
      logLevel: o.logLevel,
      httpAdmin: o.httpAdmin,
      otlpEndpoint: o.otlpEndpoint,
      jsReplicas: o.jsReplicas,
      allowFileLoad: !!o.allowFileLoad,
      allowUnsigned: !!o.allowUnsigned,
      allowedIssuers: (o.allowedIssuers ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      requireCaps: !!o.requireCaps,
      allowProviderDirs: o.allowProviderDir,
      ...registryOptionsFrom(o),
      secretsTopic: o.secretsTopic,
      policy: o.policyTopic
        ? { topic: o.policyTopic, changesTopic: o.policyChangesTopic, timeoutMs: o.policyTimeoutMs }
        : undefined,
      maxComponentSizeBytes: o.maxComponentSizeBytes,
      maxComponents: o.maxComponents,
      httpTimeoutMs: o.httpTimeoutMs,
      runtime: {
        cacheDir: o.cacheDir,
        workers: o.workers,
        maxExecutionTimeMs: o.maxExecutionTimeMs,
        maxLinearMemoryBytes: o.maxLinearMemoryBytes,
        maxGuestMemoryBytes: o.maxGuestMemoryBytes,
        maxGuestInstances: o.maxGuestInstances,
      },
      providerUsers,
      nats: sideOptions(o, url, 'ctl'),
      rpcNats: o.rpcUrl || o.rpcCreds || o.rpcJwt || o.rpcSeed ? sideOptions(o, url, 'rpc') : undefined,
    });
  } catch (err) {
    await nats?.stop();
    throw err;
  }
  const controller = o.controller
    ? await Controller.start({
        nc: host.nc,
        lattice: o.lattice,
        logger: host.logger.child({ role: 'controller' }),
        heartbeatIntervalSec: o.heartbeatInterval,
        missedHeartbeats: o.missedHeartbeats,
        replicas: o.jsReplicas,
      })
    : undefined;
  const secrets = o.secrets
    ? await (await import('../../secrets/index.ts')).startBuiltinSecrets(host, { ...o, home: weftHome() })
    : undefined;
  await writeUpState({
    pid: process.pid,
    multi_local: o.multiLocal || undefined,
    lattice: o.lattice,
    nats_url: url,
    nats_pid: nats?.pid,
    host_id: host.id,
    friendly_name: host.friendlyName,
  });
  emit(
    o.output,
    { success: true, host_id: host.id, friendly_name: host.friendlyName, lattice: o.lattice, nats_url: url },
    () => {
      println(`${green('✔')} host ${host.friendlyName} (${host.id}) joined lattice ${o.lattice}`);
      println(dim(`  try: weft get hosts · stop with Ctrl+C or \`weft down\``));
    },
  );
  const onSignal = (sig: string): void => {
    println(yellow(`\n${sig} received, stopping host…`));
    void (controller?.stop() ?? Promise.resolve()).then(() => host.stop({ reason: sig }));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await host.stopped;
  await controller?.stop().catch(() => undefined);
  await secrets?.stop().catch(() => undefined);
  await nats?.stop();
  await clearUpState(process.pid);
  println(`${green('✔')} host ${host.friendlyName} stopped${nats ? ', nats-server stopped' : ''}`);
}

async function upDetached(o: UpOptions): Promise<void> {
  await refuseSecondUp(o.multiLocal);
  // a --multi-local host logs to weft-up-{pid}.log: named once its pid is known
  let logFile = join(weftHome(), o.multiLocal ? `weft-up-starting-${process.pid}.log` : 'weft-up.log');
  const fd = openSync(logFile, 'a');
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const args = process.argv.slice(2).filter((a) => a !== '-d' && a !== '--detached');
  const child = spawn(process.execPath, [main, ...args, '-o', 'json'], { detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  const pid = child.pid ?? 0;
  if (o.multiLocal) {
    const named = join(weftHome(), `weft-up-${pid}.log`);
    renameSync(logFile, named);
    logFile = named;
  }
  for (let i = 0; i < 300; i++) {
    const s = await readUpState(o.multiLocal ? pid : undefined);
    if (s?.pid === pid && s.host_id) {
      const state = { ...s, log_file: logFile };
      await writeUpState(state);
      emit(o.output, { success: true, ...state }, () => {
        println(`${green('✔')} host ${s.friendly_name} (${s.host_id}) running in the background on ${s.nats_url}`);
        println(dim(`  logs: ${logFile} · stop with \`weft down\``));
      });
      return;
    }
    if (!isAlive(pid)) break;
    await sleep(100);
  }
  throw new CliError(CliErrorCode.Failed, 'the background host did not start', `see its log: ${logFile}`);
}

async function isNatsUp(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = createConnection({ host: hostname, port: Number(port) }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

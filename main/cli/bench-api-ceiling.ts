// The ceiling of `flotilla bench api`: a bare HTTP/2 server on the same TLS settings as the API server (its
// certificate, ALPN h2 beside HTTP/1.1, 1,000 streams a connection) that only reads a create's JSON, stamps a
// resourceVersion, uid and creationTimestamp, and answers 201 with it — no authentication, admission,
// validation, store or watch. The bench drives it with the same client and concurrency as the API server in
// the same run: what this machine's cores, Node's HTTP/2 and TLS, and the client leave for the API's own work.
//   node --import tsx main/cli/bench-api-ceiling.ts PKI_DIR   (prints `port N`)
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { ConfigMap } from '../api/types';
import { rfc3339Seconds } from '../api/timestamp';

/** As the API server's (kube-apiserver's --http2-max-streams-per-connection). */
const MAX_STREAMS_PER_CONNECTION = 1000;

export const CEILING_SCRIPT = __filename;

export interface CeilingServer {
  child: ChildProcess;
  url: string;
}

function serve(pkiDir: string): void {
  const read = (name: string): string => fs.readFileSync(path.join(pkiDir, name), 'utf8');
  let revision = 0;
  const server = http2.createSecureServer({
    cert: read('server.crt'), key: read('server.key'), allowHTTP1: true, settings: { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION },
  }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let obj: ConfigMap;
      try {
        obj = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConfigMap;
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('body is not JSON');
        return;
      }
      obj.metadata = { ...obj.metadata, uid: randomUUID(), resourceVersion: String(++revision), creationTimestamp: rfc3339Seconds() };
      const body = JSON.stringify(obj);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.on('sessionError', () => undefined);
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => process.exit(0));
}

/** Starts the ceiling server as its own process (it gets a core as the API server does) and waits for its URL. */
export function startCeilingServer(pkiDir: string): Promise<CeilingServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', CEILING_SCRIPT, pkiDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ceiling server did not start in time:\n${out}`));
    }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `https://127.0.0.1:${m[1]}` });
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ceiling server exited with ${code}:\n${out}`));
    });
  });
}

if (require.main === module) serve(process.argv[2]);

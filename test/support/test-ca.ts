// Throwaway certificates for TLS tests, made with the openssl CLI in a temp folder: a self-signed
// CA, an intermediate CA under it, and server certificates for 127.0.0.1 and localhost.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function opensslAvailable(): boolean {
  return spawnSync("openssl", ["version"], { encoding: "utf8" }).status === 0;
}

/** Runs `openssl` in dir; the arguments are split on spaces (none of ours contains one). */
export function openssl(dir: string, args: string): void {
  const result = spawnSync("openssl", args.split(" "), { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args} failed:\n${result.stderr}`);
}

// EC keys: generated in milliseconds, where RSA would take a noticeable share of the test's time.
const EC = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
const CA_EXT = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
let serial = 0x1000;

/** A self-signed CA: `${name}.pem` and `${name}.key` in dir; returns the certificate's path. */
export function makeCa(dir: string, name: string): string {
  openssl(
    dir,
    `req -x509 ${EC} -keyout ${name}.key -out ${name}.pem -days 2 -subj /CN=vooru-test-${name} ` +
      "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
  );
  return join(dir, `${name}.pem`);
}

/** `${name}.pem`/`${name}.key` signed by the CA `parent` (its name in dir), with the extensions `ext`. */
function signed(dir: string, name: string, parent: string, subject: string, ext: string): string {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, `req ${EC} -keyout ${name}.key -out ${name}.csr -subj ${subject}`);
  openssl(
    dir,
    `x509 -req -in ${name}.csr -CA ${parent}.pem -CAkey ${parent}.key -set_serial ${++serial} -days 2 ` +
      `-out ${name}.pem -extfile ${name}.ext`,
  );
  return join(dir, `${name}.pem`);
}

/** An intermediate CA `${name}.pem`/`${name}.key` under the CA `parent`; returns the certificate's path. */
export function makeIntermediateCa(dir: string, name: string, parent: string): string {
  return signed(dir, name, parent, `/CN=vooru-test-${name}`, CA_EXT);
}

/** `${name}.pem`/`${name}.key` (default server) for 127.0.0.1 and localhost, signed by the CA `ca`. */
export function makeServerCert(dir: string, ca: string, name = "server"): string {
  return signed(
    dir,
    name,
    ca,
    "/CN=127.0.0.1",
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n" +
      "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
}

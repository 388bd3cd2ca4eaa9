import crypto from 'node:crypto';

/**
 * Node-RED's credentials file, `flows_cred.json`: node id → that node's credentials. With a
 * `credentialSecret` the file holds one property `$`: 16 bytes of initialisation vector in hex,
 * then the JSON encrypted with AES-256-CTR under the SHA-256 of the secret, in Base64. The demo
 * writes and reads it in that shape so that Node-RED opens what the demo seeded, and the demo
 * can add its account's token beside what a user typed.
 */
export type Credentials = Record<string, Record<string, unknown>>;

const ALGORITHM = 'aes-256-ctr';

function key(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}

/** The file's content for `credentials`, encrypted with `secret`. */
export function encryptCredentials(secret: string, credentials: Credentials): { $: string } {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv(ALGORITHM, key(secret), iv);
  const body =
    cipher.update(JSON.stringify(credentials), 'utf8', 'base64') + cipher.final('base64');
  return { $: iv.toString('hex') + body };
}

/**
 * The credentials in a file's content: decrypted with `secret` when encrypted, as they are when
 * not. Throws when encrypted with another secret (the JSON does not parse).
 */
export function decryptCredentials(secret: string, stored: unknown): Credentials {
  if (!stored || typeof stored !== 'object') return {};
  const sealed = (stored as { $?: unknown }).$;
  if (typeof sealed !== 'string') return stored as Credentials;
  const iv = Buffer.from(sealed.slice(0, 32), 'hex');
  const decipher = crypto.createDecipheriv(ALGORITHM, key(secret), iv);
  const text = decipher.update(sealed.slice(32), 'base64', 'utf8') + decipher.final('utf8');
  return JSON.parse(text) as Credentials;
}

/** A new random credential secret (256 bits, hex). */
export function newCredentialSecret(): string {
  return crypto.randomBytes(32).toString('hex');
}

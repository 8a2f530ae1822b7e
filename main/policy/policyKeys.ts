// Ed25519 keys for signing and verifying policies (node:crypto; no extra dependency).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { POLICY_FILE_FORMAT, signedPayload, type PolicyVerifier, type SignedPolicyFile } from '../../common/policy/signedPolicy';

export interface PolicyKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/** Key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key. */
export function policyKeyId(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('not an Ed25519 public key');
  }
  return createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex').slice(0, 16);
}

export function generatePolicyKeyPair(): PolicyKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: policyKeyId(publicKey),
  };
}

export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 public key, found ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

export function parsePrivateKey(pem: string): KeyObject {
  // OpenSSL's own words for this mix-up are "DECODER routines::unsupported".
  if (pem.includes('-----BEGIN PUBLIC KEY-----')) throw new Error('this is a public key; signing needs the private key (the <name>.private.pem that keygen wrote beside it)');
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 private key, found ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

export function signMessage(privateKey: KeyObject, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

/** A verifier that trusts exactly the given public keys (PEM). */
export function createPolicyVerifier(publicKeyPems: readonly string[]): PolicyVerifier {
  const keys = new Map<string, KeyObject>();
  for (const pem of publicKeyPems) {
    const key = parsePublicKey(pem);
    keys.set(policyKeyId(key), key);
  }
  return {
    keyIds: [...keys.keys()],
    verify: (keyId, message, signatureBase64) => {
      const key = keys.get(keyId);
      if (key === undefined) return false;
      const signature = Buffer.from(signatureBase64, 'base64');
      return signature.length === 64 && verify(null, Buffer.from(message, 'utf8'), key, signature);
    },
  };
}

/** Wraps `policy` in the signed file format, signed with the given Ed25519 private key. */
export function signPolicyDocument(policy: unknown, privateKeyPem: string): SignedPolicyFile {
  const privateKey = parsePrivateKey(privateKeyPem);
  const keyId = policyKeyId(createPublicKey(privateKey));
  return { format: POLICY_FILE_FORMAT, policy, signature: { alg: 'Ed25519', keyId, value: signMessage(privateKey, signedPayload(policy)) } };
}

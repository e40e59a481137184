/**
 * WeCom's callback crypto: msg_signature = sha1 of the sorted token, timestamp, nonce and ciphertext; the payload is
 * AES-256-CBC under the EncodingAESKey (IV = its first 16 bytes), PKCS#7 to 32 bytes, carrying
 * random(16) · length(4) · message · receiveid. `@wecom/crypto` (WeCom's own package) does the signature and the
 * cipher; it does not check the receive id nor compare signatures in constant time, so that is done here.
 */
import crypto from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';

export interface SignedQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

export function signatureOk(token: string, q: SignedQuery, ciphertext: string): boolean {
  const expected = Buffer.from(getSignature(token, q.timestamp, q.nonce, ciphertext));
  const given = Buffer.from(q.msg_signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** Decrypts a ciphertext meant for this company; throws on a bad key, a bad padding or another receive id. */
export function openCiphertext(aesKey: string, corpId: string, ciphertext: string): string {
  const { message, id } = decrypt(aesKey, ciphertext);
  if (id !== corpId) throw new Error('wecom: the message is for another receive id');
  return message;
}

/**
 * WeCom's callback crypto: msg_signature = sha1 of the sorted token, timestamp, nonce and ciphertext; the payload is
 * AES-256-CBC under the EncodingAESKey (IV = its first 16 bytes), PKCS#7 to 32 bytes, carrying
 * random(16) · length(4) · message · receive id.
 *
 * The signature comes from `@wecom/crypto` (WeCom's package), compared here in constant time. Decryption is done
 * here with node:crypto because the package's `decrypt` is too lenient for what we need: it accepts any padding byte
 * without checking the padding, and trusts the length field, so a wrong key or a damaged ciphertext yields garbage
 * with an empty receive id, which is exactly what a group robot's genuine callback carries.
 */
import crypto from 'node:crypto';
import { getSignature } from '@wecom/crypto';

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

function decrypt(aesKey: string, ciphertext: string): { message: string; id: string } {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('wecom: the EncodingAESKey does not decode to 32 bytes');
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const data = Buffer.concat([decipher.update(ciphertext, 'base64'), decipher.final()]);
  const pad = data.at(-1) ?? 0;
  if (pad < 1 || pad > 32 || data.length < 20 + pad || !data.subarray(data.length - pad).every((b) => b === pad)) throw new Error('wecom: bad padding');
  const plain = data.subarray(0, data.length - pad);
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new Error('wecom: bad message length');
  return { message: plain.subarray(20, 20 + length).toString('utf8'), id: plain.subarray(20 + length).toString('utf8') };
}

/**
 * Decrypts a ciphertext meant for this company: the app's messages carry the corp id as receive id, a group robot's
 * callbacks an empty one (群机器人回调说明). Throws on a bad key, a bad padding or another receive id.
 */
export function openCiphertext(aesKey: string, corpId: string, ciphertext: string): { message: string; fromRobot: boolean } {
  const { message, id } = decrypt(aesKey, ciphertext);
  if (id !== corpId && id !== '') throw new Error('wecom: the message is for another receive id');
  return { message, fromRobot: id === '' };
}

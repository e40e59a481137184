/** Outgoing → WeCom message bodies: text in pieces WeCom accepts, buttons as a template card or as text to type. */
import crypto from 'node:crypto';
import type { Button, Outgoing } from '../../src/core/chat-port.js';
import { wecomLimits } from './config.js';

/** Splits text into pieces of at most `maxBytes` UTF-8 bytes, at a line break where one is near. */
export function splitText(text: string, maxBytes: number = wecomLimits.textMaxBytes): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > maxBytes) {
    let end = 0;
    let bytes = 0;
    for (const ch of rest) {
      const n = Buffer.byteLength(ch);
      if (bytes + n > maxBytes) break;
      bytes += n;
      end += ch.length;
    }
    const newline = rest.lastIndexOf('\n', end - 1);
    const cut = newline > end / 2 ? newline + 1 : Math.max(end, 1);
    pieces.push(rest.slice(0, cut).replace(/\n$/, ''));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Where there are no buttons (group chats, robots): the words to type instead, as on WeChat. */
export function withTextButtons(m: Outgoing): string {
  if (!m.buttons?.length) return m.text;
  return `${m.text}\n${m.buttons.map((b) => `（${b.label}请回复「${b.textEquivalent}」）`).join('\n')}`;
}

/**
 * A button_interaction template card for a member: its title is the message's first line (the full text goes before
 * it as text), its buttons carry the action ids as keys, which come back as EventKey. task_id is unique per app.
 */
export function buttonCard(m: Outgoing, buttons: Button[]): Record<string, unknown> {
  const title = m.text.split('\n')[0]!.slice(0, 36);
  return {
    card_type: 'button_interaction',
    main_title: { title },
    sub_title_text: `点击下方按钮，或回复${buttons.map((b) => `「${b.textEquivalent}」`).join('、')}`,
    task_id: `kcbx_${m.id}_${crypto.randomBytes(6).toString('hex')}`,
    button_list: buttons.slice(0, 6).map((b) => ({ type: 0, text: b.label.slice(0, 10), style: 1, key: b.action })),
  };
}

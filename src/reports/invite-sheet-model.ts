/** What an invite sheet shows: per school (or per town / the county for people outside schools), each unbound
 * person with a fresh one-time code. */
export interface InviteEntry {
  name: string;
  staffId: string;
  /** Role with where, e.g. 班主任 · 三(2)班, 村干部 · 石桥村. */
  role: string;
  code: string;
  /** Telegram deep link that opens the bot with the code, when Telegram is configured. */
  link?: string;
}

export interface InviteSection {
  kind: 'county' | 'town' | 'school';
  /** 青石镇中心小学 / 青石镇（镇、村干部） / 示范县（县教育局） */
  title: string;
  /** Where it sits: 示范县 青石镇 */
  place: string;
  entries: InviteEntry[];
}

export interface InviteSheets {
  /** What the run covered: a school's, a town's or the county's name. */
  scopeName: string;
  /** Local time (county TIMEZONE), e.g. 2026年11月20日 08:30. */
  generatedAt: string;
  expiresAt: string;
  /** The same expiry as 2026-11-26 21:38, for table cells. */
  expiresShort: string;
  /** Set when Telegram is configured: sheets carry a QR code of the deep link. */
  botUsername?: string;
  sections: InviteSection[];
}

/** The text people send the bot in a direct message. */
export const bindText = (code: string): string => `绑定 ${code}`;

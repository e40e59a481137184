/** Invite sheets as .xlsx: a worksheet per school (town, county) with name, staff id, role, code, expiry and link. */
import type ExcelJS from 'exceljs';
import { bindText, type InviteSheets } from './invite-sheet-model.js';
import { safeCell, safeRow } from './safe-cell.js';

/** A worksheet name Excel accepts (≤ 31 characters, none of : \ / ? * [ ]) and unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, '_').slice(0, 28) || '邀请码';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

export async function inviteSheetXlsx(s: InviteSheets): Promise<Buffer> {
  // ExcelJS (~25 MB) is loaded by the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const taken = new Set<string>();
  for (const sec of s.sections) {
    const ws = wb.addWorksheet(sheetName(sec.title, taken), {
      pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    const headers = ['序号', '姓名', '工号', '角色', '邀请码', '私信机器人发送', '有效期至（当地时间）', ...(s.botUsername ? ['Telegram 绑定链接'] : [])];
    ws.columns = headers.map((h, i) => ({ header: h, width: [6, 14, 12, 22, 12, 18, 22, 44][i] }));
    ws.spliceRows(1, 0, [safeCell(`${sec.title} 控辍保学助手账号绑定邀请码（${sec.place}，生成于 ${s.generatedAt}）`)]);
    ws.mergeCells(1, 1, 1, headers.length);
    ws.getRow(1).font = { bold: true, size: 13 };
    ws.getRow(2).font = { bold: true };
    sec.entries.forEach((e, i) => {
      const row = [i + 1, e.name, e.staffId, e.role, e.code, bindText(e.code), s.expiresShort, ...(e.link ? [e.link] : [])];
      ws.addRow(safeRow(row));
    });
    ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  }
  if (s.sections.length === 0) wb.addWorksheet('邀请码').addRow([safeCell(`${s.scopeName}：所有人员都已经绑定了账号，不需要邀请码。`)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

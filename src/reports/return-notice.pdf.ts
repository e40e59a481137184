/**
 * 《义务教育学生返校复学通知书》: the town government's notice to a dropout's guardian, printed on A4 portrait and
 * handed over at a home visit: the pupil, school and class, the legal basis (the guardian's duty under the
 * Compulsory Education Law), the deadline, whom to contact, the stamp and the date; a receipt (回执) to cut off
 * and return signed. Chinese set in Noto Sans SC (fonts.ts).
 */
import { cjkPdf } from './pdf-doc.js';

/**
 * The articles the notice cites, word for word (《中华人民共和国义务教育法》, 2018 text): the guardian's duty (第五条第二款,
 * 第十一条第一款) and the consequence of not sending a child (第五十八条).
 */
export const LEGAL_BASIS = [
  { article: '第五条第二款', text: '适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成义务教育。' },
  { article: '第十一条第一款', text: '凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学接受并完成义务教育；条件不具备的地区的儿童，可以推迟到七周岁。' },
  {
    article: '第五十八条',
    text: '适龄儿童、少年的父母或者其他法定监护人无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的，由当地乡镇人民政府或者县级人民政府教育行政部门给予批评教育，责令限期改正。',
  },
] as const;

export const NOTICE_TITLE = '义务教育学生返校复学通知书';

export interface ReturnNotice {
  /** 青石镇返通字〔2026〕第 12 号 */
  number: string;
  /** 青石镇人民政府 */
  issuer: string;
  guardian?: string;
  student: { name: string; gender: string; studentNo: string };
  school: string;
  className: string;
  /** The first day the pupil has been away from school. */
  absentSince: string;
  deadline: string;
  issuedOn: string;
  contacts: { role: string; name: string; phone?: string }[];
}

/** 2026-12-10 → 2026年12月10日 */
export function zhDate(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

export function returnNoticePdf(n: ReturnNotice): Promise<Buffer> {
  const { doc, done } = cjkPdf({ size: 'A4', margins: { top: 44, bottom: 36, left: 64, right: 64 }, info: { Title: NOTICE_TITLE } });
  const x0 = doc.page.margins.left;
  const width = doc.page.width - x0 - doc.page.margins.right;
  const para = (text: string, o: { indent?: boolean; size?: number; bold?: boolean; gap?: number } = {}) => {
    doc
      .font(o.bold ? 'cjk-bold' : 'cjk')
      .fontSize(o.size ?? 11.5)
      .text(text, x0, doc.y, { width, lineGap: 3, indent: o.indent === false ? 0 : 23 });
    doc.moveDown(o.gap ?? 0.35);
  };
  const guardian = n.guardian || '______________';
  const gender = n.student.gender === 'F' ? '女' : '男';

  doc.font('cjk-bold').fontSize(20).text(NOTICE_TITLE, { align: 'center' });
  doc.moveDown(0.3).font('cjk').fontSize(10.5).text(n.number, { align: 'center' });
  doc.moveDown(0.6);
  para(`${guardian}（学生 ${n.student.name} 的监护人）：`, { indent: false, bold: true, size: 12 });
  para(
    `您的子女（被监护人）${n.student.name}，${gender}，学籍号 ${n.student.studentNo}，系${n.school}${n.className}学生，自${zhDate(n.absentSince)}起未到校上学。经学校和村（居）委会多次家访劝返，至今仍未返校。`,
  );
  para('依据《中华人民共和国义务教育法》：');
  for (const l of LEGAL_BASIS) para(`${l.article}：“${l.text}”`, { size: 10.5 });
  para(
    `接受义务教育是适龄儿童、少年的权利，也是监护人必须履行的法定义务。请您接到本通知书后，于${zhDate(n.deadline)}前送${n.student.name}到${n.school}报到复学。`,
    { bold: true },
  );
  para(
    `逾期仍未送子女返校的，${n.issuer}将依照《中华人民共和国义务教育法》第五十八条的规定给予批评教育，责令限期改正，并依法采取进一步措施。家庭如有经济困难、学习困难等情况，请及时与学校或政府联系，我们将帮助解决。`,
  );
  doc.moveDown(0.2);
  para('联系人：', { indent: false, bold: true });
  for (const c of n.contacts) para(`${c.role}：${c.name}　　联系电话：${c.phone || '________________'}`, { size: 11 });
  doc.moveDown(0.5);
  const y = doc.y;
  doc
    .font('cjk')
    .fontSize(11.5)
    .text(`${n.issuer}（盖章）`, x0 + width / 2, y, { width: width / 2, align: 'center' });
  doc.text(zhDate(n.issuedOn), x0 + width / 2, doc.y + 6, { width: width / 2, align: 'center' });
  const below = doc.y;
  doc.text('经办人（签字）：__________', x0, y, { width: width / 2 });
  doc.y = Math.max(doc.y, below);
  doc.moveDown(0.4);

  // the receipt, cut off and returned signed
  if (doc.y + 150 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.x = x0;
  const cut = doc.y + 6;
  doc
    .save()
    .lineWidth(0.6)
    .dash(3, { space: 3 })
    .moveTo(x0, cut)
    .lineTo(x0 + width, cut)
    .stroke('#888')
    .undash()
    .restore();
  doc
    .font('cjk')
    .fontSize(9)
    .fillColor('#666')
    .text('沿此线剪下，回执交回学校', x0, cut + 4, { width, align: 'center' })
    .fillColor('black');
  doc.moveDown(0.6);
  doc.font('cjk-bold').fontSize(14).text('回　执', x0, doc.y, { width, align: 'center' });
  doc.moveDown(0.4);
  para(
    `本人已收到${n.issuer}《${NOTICE_TITLE}》（${n.number}），知晓监护人送适龄子女接受义务教育的法定义务，保证于${zhDate(n.deadline)}前送${n.student.name}到${n.school}${n.className}返校复学。`,
  );
  doc.moveDown(0.3);
  para('监护人（签字）：______________　　　联系电话：______________', { indent: false, size: 10.5 });
  para('签收日期：______年____月____日　　　送达人（签字）：______________', { indent: false, size: 10.5 });
  doc.end();
  return done;
}

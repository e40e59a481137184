/**
 * The return-to-school notice as a file: gathers the pupil, school, class, the people to contact and the issuer,
 * renders the PDF under REPORTS_DIR. It names a minor: send it by direct message to the issuing official only.
 */
import type { Attachment } from '../core/chat-port.js';
import type { Deps } from './deps.js';
import type { Tx } from '../store/prisma.js';
import type { DateStr } from '../domain/types.js';
import { peopleWithRole, type PersonRow, type StudentFull } from '../store/org.repository.js';
import { NOTICE_TITLE, returnNoticePdf } from '../reports/return-notice.pdf.js';
import { MIME, saveReport } from '../reports/files.js';
import { findTownById } from '../store/place.repository.js';
import { caseOpenedOn, latestSuspectedStreak } from '../store/alert-read.repository.js';

export async function returnNoticeFile(
  deps: Deps,
  tx: Tx,
  n: { caseId: number; student: StudentFull; issuer: PersonRow; deadline: DateStr; today: DateStr; openedOn?: DateStr },
): Promise<Attachment> {
  const s = n.student;
  const townId = n.issuer.townId ?? s.class.school.townId;
  const [town, teachers, principals, alert, row] = await Promise.all([
    findTownById(tx, townId),
    peopleWithRole(tx, 'class_teacher', { classId: s.classId }),
    peopleWithRole(tx, 'principal', { schoolId: s.class.schoolId }),
    latestSuspectedStreak(tx, s.id),
    caseOpenedOn(tx, n.caseId),
  ]);
  const townName = town?.name ?? s.village.town.name;
  const contacts = [
    ...teachers.slice(0, 1).map((p) => ({ role: `班主任（${s.class.name}）`, name: p.name, phone: p.phone ?? undefined })),
    ...principals.slice(0, 1).map((p) => ({ role: `学校（${s.class.school.name}）校长`, name: p.name, phone: p.phone ?? undefined })),
    { role: `${townName}人民政府`, name: n.issuer.name, phone: n.issuer.phone ?? undefined },
  ];
  const bytes = await returnNoticePdf({
    number: `${townName}返通字〔${n.today.slice(0, 4)}〕第 ${n.caseId} 号`,
    issuer: `${townName}人民政府`,
    ...(s.guardian ? { guardian: s.guardian } : {}),
    student: { name: s.name, gender: s.gender, studentNo: s.studentNo },
    school: s.class.school.name,
    className: s.class.name,
    absentSince: alert?.streakSince ?? row?.openedOn ?? n.today,
    deadline: n.deadline,
    issuedOn: n.today,
    contacts,
  });
  return saveReport(deps.config.REPORTS_DIR, `${deps.clock.now().getTime()}-notice-${n.caseId}`, `${NOTICE_TITLE}-${s.name}.pdf`, bytes, MIME.pdf);
}

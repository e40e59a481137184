/**
 * `converse`: the console as a script runner (JSON lines in, JSON lines out) or an interactive prompt.
 * Script lines: {"at"?: ISO, "from": handle, "chat": "dm" | group name, "text": "..."} or {"at": ISO, "tick": true}.
 * Whenever a line moves the clock (and on a tick line) the scheduled duties due by then run first, so a script
 * plays a week in seconds: {"at": "2026-11-27T15:00:00+08:00", "tick": true} shows the Friday prompts.
 */
import readline from 'node:readline';
import type { ManualClock } from '../clock.js';
import type { Deps } from '../services/deps.js';
import { ConsoleSession, formatDelivery, type Delivered } from './session.js';
import { createDutyRunner } from '../duties/runner.js';
import { startDutySchedule } from '../duties/schedule.js';
import { ALL_DUTIES } from '../duties/index.js';

interface ScriptLine {
  at?: string;
  from?: string;
  chat?: string;
  text?: string;
  tick?: boolean;
}

function setClock(clock: ManualClock | undefined, at: string | undefined): string | undefined {
  if (!at) return undefined;
  if (!clock) return '"at" 只能在脚本模式下使用';
  if (Number.isNaN(new Date(at).getTime())) return `"at" 不是有效时间：${at}`;
  clock.set(at);
  return undefined;
}

export async function runScript(
  deps: Deps,
  clock: ManualClock,
  input: AsyncIterable<string>,
  write: (line: string) => void,
  warn: (line: string) => void,
): Promise<number> {
  const session = new ConsoleSession(deps);
  await session.start();
  const duties = createDutyRunner(deps, ALL_DUTIES, warn);
  let n = 0;
  let problems = 0;
  const emit = (ds: Delivered[]) =>
    ds.forEach((d) =>
      write(
        JSON.stringify({
          at: d.at,
          to: d.to,
          ...(d.name ? { name: d.name } : {}),
          chat: d.chat,
          text: d.text,
          ...(d.buttons ? { buttons: d.buttons } : {}),
          ...(d.attachment ? { attachment: d.attachment } : {}),
        }),
      ),
    );
  for await (const raw of input) {
    n++;
    if (!raw.trim()) continue;
    try {
      if (!(await scriptLine(raw))) problems++;
    } catch (e) {
      // One bad line (or a database hiccup) is reported and the script goes on: converse never dies on input.
      warn(JSON.stringify({ line: n, error: `处理出错：${e instanceof Error ? e.message : String(e)}` }));
      problems++;
    }
  }
  return problems;

  /** One script line; false (after a warning) when the line itself is wrong. */
  async function scriptLine(raw: string): Promise<boolean> {
    let line: ScriptLine;
    try {
      line = JSON.parse(raw) as ScriptLine;
    } catch {
      warn(JSON.stringify({ line: n, error: '不是有效的 JSON' }));
      return false;
    }
    if (typeof line !== 'object' || line === null) {
      warn(JSON.stringify({ line: n, error: '每行须是一个 JSON 对象' }));
      return false;
    }
    const bad = setClock(clock, line.at);
    if (bad) {
      warn(JSON.stringify({ line: n, error: bad }));
      return false;
    }
    if (line.at || line.tick) {
      // The clock moved: duties due by now run, and whatever is due for delivery goes out.
      await duties.tick();
      emit(await session.flush());
    }
    if (line.tick) return true;
    if (typeof line.from !== 'string' || !line.from || typeof line.text !== 'string') {
      warn(JSON.stringify({ line: n, error: '需要 "from" 和 "text"（或 "tick": true）' }));
      return false;
    }
    const who = await session.resolve(line.from);
    if ('error' in who) {
      warn(JSON.stringify({ line: n, error: who.error }));
      return false;
    }
    emit((await session.say(who.staffId, typeof line.chat === 'string' ? line.chat : 'dm', line.text)).delivered);
    return true;
  }
}

const HELP = `控制台命令：
  /as <工号或姓名>     以某人的身份发言
  /in <群名> | /in dm  切换到某个群或私聊
  /who                 当前身份和会话
  /quit                退出
其他输入都作为消息发给机器人（如：帮助、缺勤 张三 病假、应到45 实到44）。`;

export async function runInteractive(deps: Deps, input: NodeJS.ReadableStream, print: (s: string) => void, firstPerson?: string): Promise<void> {
  const session = new ConsoleSession(deps);
  await session.start();
  // Scheduled duties run here too (every minute, on the real clock); what they send is printed as it goes out.
  const schedule = startDutySchedule(createDutyRunner(deps, ALL_DUTIES, print), deps.config.TIMEZONE, print, async () => {
    for (const d of await session.flush()) print(formatDelivery(d));
  });
  let me: { staffId: string; name: string } | undefined;
  let chat = 'dm';
  if (firstPerson) {
    const r = await session.resolve(firstPerson);
    if (!('error' in r)) me = r;
  }
  print(HELP);
  const rl = readline.createInterface({ input, terminal: false });
  const prompt = () => print(`\n[${me ? `${me.name}(${me.staffId})` : '未选择身份'} @ ${chat === 'dm' ? '私聊' : `群「${chat}」`}] >`);
  prompt();
  for await (const raw of rl) {
    const text = raw.trim();
    if (!text) {
      prompt();
      continue;
    }
    if (text === '/quit' || text === '/exit') break;
    try {
      const r = await consoleLine(text);
      if (r) me = r.me ?? me;
      if (r?.chat) chat = r.chat;
    } catch (e) {
      // The console stays open whatever happens to one line.
      print(`出错了，这一行没有处理完：${e instanceof Error ? e.message : String(e)}`);
    }
    prompt();
  }
  rl.close();
  await schedule.stop();

  /** One typed line: a console command, or a message to the bot as the current person in the current chat. */
  async function consoleLine(text: string): Promise<{ me?: { staffId: string; name: string }; chat?: string } | undefined> {
    if (text.startsWith('/as ')) {
      const r = await session.resolve(text.slice(4).trim());
      if ('error' in r) print(r.error);
      else return { me: r };
    } else if (text.startsWith('/in ')) {
      return { chat: text.slice(4).trim() || 'dm' };
    } else if (text === '/who') {
      print(me ? `${me.name}(${me.staffId}) @ ${chat}` : '还没有选择身份：/as <工号或姓名>');
    } else if (text === '/?' || text === '/console') {
      print(HELP);
    } else if (!me) {
      print('请先选择身份，例如：/as T0001');
    } else {
      const { delivered } = await session.say(me.staffId, chat, text);
      if (delivered.length === 0) print('（机器人没有回复：这条消息被当作闲聊）');
      for (const d of delivered) print(formatDelivery(d));
    }
    return undefined;
  }
}

/**
 * Ansible's `date_time` collector: one clock reading (`date +%s.%N`), formatted in the target's
 * local time by date(1) in the C locale; the UTC forms follow from the epoch. The same date(1)
 * run formats January's and July's noon, whose zone names and offsets give Python's
 * time.tzname[1] (the daylight-saving name, or the standard one where there is none).
 */
import { block, blockLines, type Blocks } from './blocks.js';

const FORMAT = '%s.%N|%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Y-%m-%d|%H:%M:%S|%Y%m%dT%H%M%S%6N|%Y%m%dT%H%M%S|%Z|%z';

export const dateTimeCommand = block(
  'date',
  `set -- $(date '+%s.%N %Y'); printf '@%s\\n%s-01-01 12:00\\n%s-07-01 12:00\\n' "$1" "$2" "$2" | LC_ALL=C date -f - '+${FORMAT}'`,
);

/** The daylight-saving zone name: of January's and July's, the one with the larger UTC offset. */
export function tzDst(january: [string, string], july: [string, string]): string {
  const offset = (z: string) => {
    const m = /^([+-])(\d\d)(\d\d)$/.exec(z);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
  return offset(july[1]) > offset(january[1]) ? july[0] : january[0];
}

/** Python's utcfromtimestamp(t).strftime('%Y-%m-%dT%H:%M:%S.%fZ'), from date's "%s.%N". */
export function utcForms(epochWithNanos: string): { micro: string; plain: string } {
  const [seconds = '0', nanos = '0'] = epochWithNanos.split('.');
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return { micro: `${iso}.${nanos.padEnd(9, '0').slice(0, 6)}Z`, plain: `${iso}Z` };
}

export function parseDateTime(blocks: Blocks): Record<string, unknown> {
  const [now = '', january = '', july = ''] = blockLines(blocks, 'date').map((l) => l.split('|'));
  if (now.length < 17) return {};
  const [instant, year, month, weekday, weekdayNumber, weeknumber, day, hour, minute, second, epoch, date, time, basic, basicShort, tz, tzOffset] =
    now as string[];
  const zone = (fields: string[] | '') => [fields ? (fields[15] ?? '') : '', fields ? (fields[16] ?? '') : ''] as [string, string];
  const utc = utcForms(instant!);
  return {
    date_time: {
      year,
      month,
      weekday,
      weekday_number: weekdayNumber,
      weeknumber,
      day,
      hour,
      minute,
      second,
      epoch,
      epoch_int: String(parseInt(epoch!, 10)),
      date,
      time,
      iso8601_micro: utc.micro,
      iso8601: utc.plain,
      iso8601_basic: basic,
      iso8601_basic_short: basicShort,
      tz,
      tz_dst: january && july ? tzDst(zone(january), zone(july)) : tz,
      tz_offset: tzOffset,
    },
  };
}

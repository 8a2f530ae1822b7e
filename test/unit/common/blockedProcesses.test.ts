import { describe, expect, it } from 'vitest';
import { LINUX_COMM_LENGTH, processKey, runningBlockedProcesses } from '../../../common/capture/blockedProcesses';

describe('blocked capture tools', () => {
  it('compares file names only, in any case, without .exe', () => {
    expect(processKey('C:\\Program Files\\obs-studio\\bin\\64bit\\OBS64.EXE')).toBe('obs64');
    expect(processKey('/Applications/OBS.app/Contents/MacOS/OBS')).toBe('obs');
    expect(processKey('  zoom.us \n')).toBe('zoom.us');
    expect(processKey('')).toBe('');
  });

  it('returns the policy names that are running, as IT wrote them', () => {
    const running = ['systemd', 'OBS64.exe', 'Teams.exe', '/usr/bin/anydesk'];
    expect(runningBlockedProcesses(running, ['obs64.exe', 'AnyDesk', 'vlc'])).toEqual(['obs64.exe', 'AnyDesk']);
    expect(runningBlockedProcesses(running, [])).toEqual([]);
    expect(runningBlockedProcesses([], ['obs64'])).toEqual([]);
  });

  it('does not match a part of a name', () => {
    expect(runningBlockedProcesses(['obs-helper', 'snobs'], ['obs'])).toEqual([]);
  });

  it("matches Linux's 15-byte /proc comm against the full name, only when told names are cut", () => {
    const comm = 'simplescreenrecorder'.slice(0, LINUX_COMM_LENGTH); // 'simplescreenrec'
    expect(runningBlockedProcesses([comm], ['simplescreenrecorder'], LINUX_COMM_LENGTH)).toEqual(['simplescreenrecorder']);
    expect(runningBlockedProcesses([comm], ['simplescreenrecorder'])).toEqual([]);
    // A short name that merely starts the same is not a cut name.
    expect(runningBlockedProcesses(['simplescreen'], ['simplescreenrecorder'], LINUX_COMM_LENGTH)).toEqual([]);
  });
});

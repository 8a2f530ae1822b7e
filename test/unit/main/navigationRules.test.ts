// A hidden hosted view keeps running: while the workspace shows no apps, no window opens.
import { describe, expect, it } from 'vitest';
import { NavigationRules } from '../../../main/shell/navigationRules';

describe('NavigationRules window gate', () => {
  it('refuses every window while apps may not show, and offers the owner\'s window again after', () => {
    const rules = new NavigationRules();
    const contents = {};
    rules.set(contents, () => 'allow', () => ({ width: 800 }), 'ehr');
    let showing = true;
    rules.gateWindows(() => showing);
    expect(rules.windowOptions(contents, 'https://ehr.example.com/popup')).toEqual({ width: 800 });
    showing = false;
    expect(rules.windowOptions(contents, 'https://ehr.example.com/popup')).toBeNull();
    showing = true;
    expect(rules.windowOptions(contents, 'https://ehr.example.com/popup')).toEqual({ width: 800 });
  });
});

// The client's restart cap (client/src/restartPolicy.ts): restart after a crash, but stop after
// too many crashes in the window, so a server that cannot stay up is reported, not looped.
import * as assert from 'node:assert/strict';
import { RestartPolicy } from '../../client/src/restartPolicy';

describe('restart policy of the VS Code client', () => {
  it('restarts up to the cap within the window, then stops; old crashes age out; a manual restart resets', () => {
    let now = 0;
    const p = new RestartPolicy(3, 60000, () => now);
    assert.deepEqual([p.crashed(), p.crashed(), p.crashed()], [true, true, true]);
    assert.equal(p.crashed(), false, 'the fourth crash within a minute: not restarted');
    now = 61000;
    assert.equal(p.crashed(), true, 'the earlier crashes are outside the window');
    assert.equal(p.recent, 1);
    p.crashed(); p.crashed();
    assert.equal(p.crashed(), false);
    p.reset();
    assert.equal(p.crashed(), true);
  });
});

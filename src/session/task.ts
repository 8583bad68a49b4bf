// FilterTask: a user task run by the session's scheduler (libgpac.py's FilterTask; gf_fs_post_user_task).

/** What execute() returns: milliseconds before the next call (>= 0), or -1 / undefined / null to stop. */
export type TaskResult = number | undefined | null | void;

export class FilterTask {
  /** Set while the task is posted to a session. */
  session: import('./session.js').FilterSession | null = null;

  constructor(readonly name: string) {
    if (typeof name !== 'string' || name === '') throw new TypeError(`FilterTask: expected a non-empty name, received ${JSON.stringify(name)}`);
  }

  /**
   * Called by GPAC on one of its threads' behalf (the call itself runs on this JavaScript thread); may be
   * async. Throwing (or rejecting) ends the session and makes run() reject with the error. A posted task keeps
   * the session running: as in libgpac.py, end it once the session has nothing else to do
   * (`if (this.session?.lastTask) return -1;`).
   */
  execute(): TaskResult | Promise<TaskResult> {
    return -1;
  }
}

/** Anything post() accepts: a FilterTask, or an object of the same shape. */
export interface TaskLike {
  readonly name: string;
  execute(): TaskResult | Promise<TaskResult>;
  session?: import('./session.js').FilterSession | null;
}

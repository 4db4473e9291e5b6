/**
 * The order executions are listed in, newest first (ListPipelineExecutions): a fixed-width start
 * time, then the id, so that comparing keys as strings compares start times. Stores page by it
 * and API tokens carry it.
 */
export function executionOrderKey(startTime: number, executionId: string): string {
  return `${String(startTime).padStart(15, "0")}:${executionId}`;
}

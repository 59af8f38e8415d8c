/** `rejection_summary`: one row per rejection reason with rows, from the clean report. */
import type { AggregationTable } from "../table.ts";

export const rejectionSummary: AggregationTable = {
  name: "rejection_summary",
  description: "per rejection reason (from the clean report): rows, share of input rows",
  columns: [],
  createAccumulator() {
    return {
      add() {},
      state: () => null,
      merge() {},
      result({ report }) {
        const reasons = report.reasons.filter(([, rows]) => rows > 0);
        return [
          {
            name: "rejection_reason",
            type: "STRING",
            values: reasons.map(([reason]) => reason),
          },
          { name: "rows", type: "INT64", values: reasons.map(([, rows]) => rows) },
          {
            name: "share",
            type: "DOUBLE",
            values: reasons.map(([, rows]) => rows / report.inputRows),
          },
        ];
      },
    };
  },
};

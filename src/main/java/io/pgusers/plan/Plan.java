package io.pgusers.plan;

import io.pgusers.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/** An ordered list of steps: what an operation will send, computed before anything is sent. */
public record Plan(List<Step> steps) {

    public Plan {
        steps = List.copyOf(steps);
    }

    public static Plan of(Step... steps) {
        return new Plan(List.of(steps));
    }

    public List<Statement> statements() {
        List<Statement> all = new ArrayList<>();
        steps.forEach(step -> all.addAll(step.statements()));
        return all;
    }

    /** Each statement as it may be shown, one a line, with the database it runs in when not the application's. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Step step : steps) {
            String where = step.database() == null ? "" : "-- in database " + Sql.identifier(step.database()) + ": ";
            step.statements().forEach(s -> lines.add(where + s.shown() + ";"));
        }
        return lines;
    }
}

package dev.rollgate.controller;

import dev.rollgate.analysis.AnalysisRunView;
import java.util.List;

/** Runs the analysis runs the controller asks for, each reading its metric source, and reports how they stand. */
public interface AnalysisRunner {

    /** The runs, current and recently finished. */
    List<AnalysisRunView> runs();

    /** Starts the wanted runs that do not run yet and stops those no longer wanted. */
    void run(Action.RunAnalyses wanted);
}

package io.fleetpulse.cli;

import io.fleetpulse.model.ConfigException;
import picocli.CommandLine;

/**
 * How every FleetPulse command reports a mistake: one line per problem saying what to fix, exit code 2, no stack
 * trace. Anything else is a bug or an outage and keeps its stack trace (exit code 1).
 */
public final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  public static final int USAGE = 2;

  public static CommandLine install(CommandLine cl) {
    CliErrors handler = new CliErrors();
    return cl.setExecutionExceptionHandler(handler).setParameterExceptionHandler(handler);
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof ConfigException ce) {
        ce.problems().forEach(p -> cl.getErr().println(cl.getCommandName() + ": config error: " + p));
        return USAGE;
      }
      if (cause instanceof IllegalArgumentException) {
        cl.getErr().println(cl.getCommandName() + ": error: " + cause.getMessage());
        // A bad flag value (typed values are read when the command starts): point at the flags and their defaults.
        if (cause.getMessage() != null && cause.getMessage().startsWith("--")) tryHelp(cl);
        return USAGE;
      }
      cause = cause.getCause();
    }
    cl.getErr().println(cl.getCommandName() + ": failed: " + e);
    e.printStackTrace(cl.getErr());
    return 1;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    Throwable cause = e.getCause();
    String message = cause instanceof IllegalArgumentException && cause.getMessage() != null
        ? cause.getMessage() : e.getMessage();
    cl.getErr().println(cl.getCommandName() + ": " + message);
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, cl.getErr());
    }
    tryHelp(cl);
    return USAGE;
  }

  private static void tryHelp(CommandLine cl) {
    cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the flags and their defaults.");
  }
}

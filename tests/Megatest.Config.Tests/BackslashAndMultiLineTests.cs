namespace Megatest.Config.Tests;

public class BackslashAndMultiLineTests
{
    [Fact]
    public void Backslash_JoinsWithNextLine_KeepingItsLeadingWhitespace()
    {
        var data = Cfg.Read("[requirements]\nwaiton a b\\\n c d\\\ne\n");
        Assert.Equal("a b c de", data.Get("requirements", "waiton"));
    }

    [Fact]
    public void Backslash_JoinedLineKeepsLineNumberOfFirstLine()
    {
        var data = Cfg.Read("[s]\nk a\\\nb\nnext 1\n", fileName: "f");
        Assert.Equal(2, data.LocationOf("s", "k")!.Line);
        Assert.Equal(4, data.LocationOf("s", "next")!.Line);
    }

    [Fact]
    public void Backslash_JoinsHeaderSpreadOverLines()
    {
        var data = Cfg.Read("[sec\\\ntion]\na 1\n");
        Assert.Equal("1", data.Get("section", "a"));
    }

    [Fact]
    public void MultiLine_RelativeIndentationKept()
    {
        var data = Cfg.Read("[test_meta]\ndescription First line\n   of a long\n     indented more\n   back\n");
        Assert.Equal("First line\nof a long\n  indented more\nback", data.Get("test_meta", "description"));
    }

    [Fact]
    public void MultiLine_LaterLineWithLessIndentationLosesAllLeadingWhitespace()
    {
        var data = Cfg.Read("[s]\nk v\n    four\n  two\n");
        Assert.Equal("v\nfour\ntwo", data.Get("s", "k"));
    }

    [Fact]
    public void MultiLine_EndsAtBlankLine()
    {
        var data = Cfg.Read("[s]\nk v\n  more\n\n  orphan\nnext 1\n");
        Assert.Equal("v\nmore", data.Get("s", "k"));
        Assert.Equal("1", data.Get("s", "next"));
        Assert.Single(data.Warnings); // the orphan indented line is a parse problem
    }

    [Fact]
    public void MultiLine_EndsAtWhitespaceOnlyLine()
    {
        var data = Cfg.Read("[s]\nk v\n  more\n \t \nnext 1\n");
        Assert.Equal("v\nmore", data.Get("s", "k"));
    }

    [Fact]
    public void MultiLine_EndsAtIndentedComment()
    {
        var data = Cfg.Read("[s]\nk v\n  more\n  # comment\nnext 1\n");
        Assert.Equal("v\nmore", data.Get("s", "k"));
        Assert.Equal("1", data.Get("s", "next"));
    }

    [Fact]
    public void MultiLine_EndsAtHeader()
    {
        var data = Cfg.Read("[s]\nk v\n  more\n[t]\nx 1\n");
        Assert.Equal("v\nmore", data.Get("s", "k"));
        Assert.Equal("1", data.Get("t", "x"));
    }

    [Fact]
    public void MultiLine_EndsAtNewKey()
    {
        var data = Cfg.Read("[s]\nk v\n  more\nj w\n");
        Assert.Equal("v\nmore", data.Get("s", "k"));
        Assert.Equal("w", data.Get("s", "j"));
    }

    [Fact]
    public void MultiLine_AfterKeyAlone()
    {
        var data = Cfg.Read("[s]\nk\n  line one\n  line two\n");
        Assert.Equal("line one\nline two", data.Get("s", "k"));
    }

    [Fact]
    public void MultiLine_LogproRuleExampleOfSpec()
    {
        var text = "[logpro]\ncompile ;; rules for step compile\n  (expect:error in \"LogFileBody\" = 0 \"compiler errors\" #/error:/)\n  (expect:required in \"LogFileBody\" > 0 \"done marker\" #/BUILD OK/)\n";
        var data = Cfg.Read(text);
        Assert.Equal(
            ";; rules for step compile\n(expect:error in \"LogFileBody\" = 0 \"compiler errors\" #/error:/)\n(expect:required in \"LogFileBody\" > 0 \"done marker\" #/BUILD OK/)",
            data.Get("logpro", "compile"));
    }
}

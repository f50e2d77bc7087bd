-- CreateTable
CREATE TABLE "AccountHistory" (
    "accountId" TEXT NOT NULL,
    "operations" JSONB NOT NULL,
    "resyncFrom" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,
    "changedFrom" TEXT,

    CONSTRAINT "AccountHistory_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "InstrumentYearCloses" (
    "instrumentUid" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "closes" JSONB NOT NULL,
    "final" BOOLEAN NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstrumentYearCloses_pkey" PRIMARY KEY ("instrumentUid","year")
);

-- CreateTable
CREATE TABLE "AccountDaySnapshot" (
    "accountId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "valueRub" BIGINT NOT NULL,
    "flowRub" BIGINT NOT NULL,
    "contributionsRub" BIGINT NOT NULL,
    "incomplete" BOOLEAN NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountDaySnapshot_pkey" PRIMARY KEY ("accountId","day")
);
